// <scour-search> in Norwegian (Bokmål) (see STRINGS in scour-search.js).
export default {
  search: "Søk",
  loading: "Laster inn søket…",
  unavailable: "Søket er ikke tilgjengelig: indeksen kunne ikke lastes inn.",
  failed: "Noe gikk galt med dette søket.",
  recent: "Nylige søk",
  clear: "Tøm",
  "clear-recent": "Tøm nylige søk",
  results: "Søkeresultater",
  "result-one": "{n} treff",
  "result-other": "{n} treff",
  "no-results": "Ingen treff for «{q}».",
  none: "Ingen treff",
  "did-you-mean": "Mente du {q}?",
  navigate: "for å navigere",
  open: "for å åpne",
  dismiss: "for å tømme",
};
