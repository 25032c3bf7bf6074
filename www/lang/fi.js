// <scour-search> in Finnish (see STRINGS in scour-search.js).
export default {
  search: "Haku",
  loading: "Ladataan hakua…",
  unavailable: "Haku ei ole käytettävissä: hakemistoa ei voitu ladata.",
  failed: "Haussa tapahtui virhe.",
  recent: "Viimeisimmät haut",
  clear: "Tyhjennä",
  "clear-recent": "Tyhjennä viimeisimmät haut",
  results: "Hakutulokset",
  "result-one": "{n} tulos",
  "result-other": "{n} tulosta",
  "no-results": "Ei tuloksia haulle ”{q}”.",
  none: "Ei tuloksia",
  "did-you-mean": "Tarkoititko {q}?",
  navigate: "siirtyäksesi",
  open: "avataksesi",
  dismiss: "tyhjentääksesi",
};
