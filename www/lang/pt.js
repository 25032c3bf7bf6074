// <scour-search> in Portuguese: the strings of STRINGS in scour-search.js, loaded when the
// page's language is pt. A site overrides any with text-<key>="…".
export default {
  search: "Pesquisar",
  loading: "Carregando a pesquisa…",
  unavailable: "A pesquisa não está disponível: não foi possível carregar o índice.",
  failed: "Algo deu errado nesta pesquisa.",
  recent: "Pesquisas recentes",
  clear: "Limpar",
  "clear-recent": "Limpar as pesquisas recentes",
  results: "Resultados da pesquisa",
  "result-one": "{n} resultado",
  "result-many": "{n} resultados",
  "result-other": "{n} resultados",
  "no-results": "Nenhum resultado para “{q}”.",
  none: "Nenhum resultado",
  "did-you-mean": "Você quis dizer {q}?",
  navigate: "para navegar",
  open: "para abrir",
  dismiss: "para limpar",
};
