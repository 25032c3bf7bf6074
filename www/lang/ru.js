// <scour-search> in Russian: the strings of STRINGS in scour-search.js, loaded when the
// page's language is ru. A site overrides any with text-<key>="…".
export default {
  search: "Поиск",
  loading: "Загрузка поиска…",
  unavailable: "Поиск недоступен: не удалось загрузить индекс.",
  failed: "Во время поиска произошла ошибка.",
  recent: "Недавние запросы",
  clear: "Очистить",
  "clear-recent": "Очистить недавние запросы",
  results: "Результаты поиска",
  "result-one": "{n} результат",
  "result-few": "{n} результата",
  "result-many": "{n} результатов",
  "result-other": "{n} результата",
  "no-results": "Ничего не найдено по запросу «{q}».",
  none: "Ничего не найдено",
  "did-you-mean": "Возможно, вы имели в виду {q}?",
  navigate: "перемещение",
  open: "открыть",
  dismiss: "очистить",
};
