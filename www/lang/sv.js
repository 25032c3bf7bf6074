// <scour-search> in Swedish (see STRINGS in scour-search.js).
export default {
  search: "Sök",
  loading: "Sökningen laddas…",
  unavailable: "Sökningen är inte tillgänglig: indexet kunde inte laddas.",
  failed: "Något gick fel med sökningen.",
  recent: "Senaste sökningar",
  clear: "Rensa",
  "clear-recent": "Rensa senaste sökningar",
  results: "Sökresultat",
  "result-one": "{n} träff",
  "result-other": "{n} träffar",
  "no-results": "Inga träffar för ”{q}”.",
  none: "Inga träffar",
  "did-you-mean": "Menade du {q}?",
  navigate: "för att navigera",
  open: "för att öppna",
  dismiss: "för att rensa",
};
