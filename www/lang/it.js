// <scour-search> in Italian: the strings of STRINGS in scour-search.js, loaded when the
// page's language is it. A site overrides any with text-<key>="…".
export default {
  search: "Cerca",
  loading: "Caricamento della ricerca…",
  unavailable: "La ricerca non è disponibile: impossibile caricare l’indice.",
  failed: "Si è verificato un errore durante la ricerca.",
  recent: "Ricerche recenti",
  clear: "Cancella",
  "clear-recent": "Cancella le ricerche recenti",
  results: "Risultati della ricerca",
  "result-one": "{n} risultato",
  "result-many": "{n} risultati",
  "result-other": "{n} risultati",
  "no-results": "Nessun risultato per «{q}».",
  none: "Nessun risultato",
  "did-you-mean": "Forse cercavi {q}?",
  navigate: "per spostarti",
  open: "per aprire",
  dismiss: "per cancellare",
};
