// <scour-search> in French: the strings of STRINGS in scour-search.js, loaded when the
// page's language is fr. A site overrides any with text-<key>="…".
export default {
  search: "Rechercher",
  loading: "Chargement de la recherche…",
  unavailable: "La recherche est indisponible : l’index n’a pas pu être chargé.",
  failed: "Une erreur est survenue pendant cette recherche.",
  recent: "Recherches récentes",
  clear: "Effacer",
  "clear-recent": "Effacer les recherches récentes",
  results: "Résultats de recherche",
  "result-one": "{n} résultat",
  "result-many": "{n} résultats",
  "result-other": "{n} résultats",
  "no-results": "Aucun résultat pour « {q} ».",
  none: "Aucun résultat",
  "did-you-mean": "Vouliez-vous dire {q} ?",
  navigate: "pour naviguer",
  open: "pour ouvrir",
  dismiss: "pour effacer",
};
