// <scour-search> in Dutch (see STRINGS in scour-search.js).
export default {
  search: "Zoeken",
  loading: "Zoeken wordt geladen…",
  unavailable: "Zoeken is niet beschikbaar: de index kon niet worden geladen.",
  failed: "Er ging iets mis bij deze zoekopdracht.",
  recent: "Recente zoekopdrachten",
  clear: "Wissen",
  "clear-recent": "Recente zoekopdrachten wissen",
  results: "Zoekresultaten",
  "result-one": "{n} resultaat",
  "result-other": "{n} resultaten",
  "no-results": "Geen resultaten voor ‘{q}’.",
  none: "Geen resultaten",
  "did-you-mean": "Bedoelde je {q}?",
  navigate: "om te navigeren",
  open: "om te openen",
  dismiss: "om te wissen",
};
