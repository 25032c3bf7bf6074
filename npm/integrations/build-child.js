// Runs one `build` of the Node API in its own Node process for buildSite (build.js):
// the options come in the first message, the result goes back in one message.

import { build } from "../index.js";

process.once("message", async ({ sources, options }) => {
  let result;
  try {
    result = await build(sources, options);
  } catch (error) {
    result = { ok: false, code: 1, diagnostics: [], summary: "", stderr: String(error?.stack ?? error) };
  }
  process.send(result, () => process.exit(0));
});
