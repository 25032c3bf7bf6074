// <scour-search> in Danish (see STRINGS in scour-search.js).
export default {
  search: "Søg",
  loading: "Indlæser søgning…",
  unavailable: "Søgningen er ikke tilgængelig: indekset kunne ikke indlæses.",
  failed: "Noget gik galt med denne søgning.",
  recent: "Seneste søgninger",
  clear: "Ryd",
  "clear-recent": "Ryd seneste søgninger",
  results: "Søgeresultater",
  "result-one": "{n} resultat",
  "result-other": "{n} resultater",
  "no-results": "Ingen resultater for »{q}«.",
  none: "Ingen resultater",
  "did-you-mean": "Mente du {q}?",
  navigate: "for at navigere",
  open: "for at åbne",
  dismiss: "for at rydde",
};
