// <scour-search> in Spanish: the strings of STRINGS in scour-search.js, loaded when the
// page's language is es. A site overrides any with text-<key>="…".
export default {
  search: "Buscar",
  loading: "Cargando la búsqueda…",
  unavailable: "La búsqueda no está disponible: no se pudo cargar el índice.",
  failed: "Algo salió mal en esta búsqueda.",
  recent: "Búsquedas recientes",
  clear: "Borrar",
  "clear-recent": "Borrar las búsquedas recientes",
  results: "Resultados de búsqueda",
  "result-one": "{n} resultado",
  "result-many": "{n} resultados",
  "result-other": "{n} resultados",
  "no-results": "No hay resultados para «{q}».",
  none: "No hay resultados",
  "did-you-mean": "¿Quisiste decir {q}?",
  navigate: "para moverte",
  open: "para abrir",
  dismiss: "para borrar",
};
