// <scour-search> in German (see STRINGS in scour-search.js).
export default {
  search: "Suche",
  loading: "Suche wird geladen…",
  unavailable: "Die Suche ist nicht verfügbar: Der Index konnte nicht geladen werden.",
  failed: "Bei dieser Suche ist ein Fehler aufgetreten.",
  recent: "Letzte Suchen",
  clear: "Löschen",
  "clear-recent": "Letzte Suchen löschen",
  results: "Suchergebnisse",
  "result-one": "{n} Ergebnis",
  "result-other": "{n} Ergebnisse",
  "no-results": "Keine Ergebnisse für „{q}“.",
  none: "Keine Ergebnisse",
  "did-you-mean": "Meinten Sie {q}?",
  navigate: "zum Navigieren",
  open: "zum Öffnen",
  dismiss: "zum Löschen",
};
