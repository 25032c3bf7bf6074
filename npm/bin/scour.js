#!/usr/bin/env node
// `npx scour …`: the scour CLI as WebAssembly, run by Node. Every command but `serve`
// is the CLI itself; `serve` is Node's (WebAssembly cannot listen on a socket).

import { run } from "../wasi.js";
import { serve } from "../serve.js";

const args = process.argv.slice(2);
if (args[0] === "serve") {
  let dir = ".";
  let port = 8000;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === "--port" || a === "-p") port = Number(args[++i]);
    else if (a.startsWith("--port=")) port = Number(a.slice(7));
    else if (a === "--help" || a === "-h") {
      console.log("Usage: scour serve [DIR] [--port N]\n\nServes DIR (default: the current folder) on http://127.0.0.1:N (default 8000).");
      process.exit(0);
    } else if (a.startsWith("-")) {
      console.error(`error: scour serve from npm takes DIR and --port; ${a} is not supported (run \`scour build --watch\` beside it to rebuild on changes)`);
      process.exit(2);
    } else dir = a;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`error: --port takes a port number, got ${port}`);
    process.exit(2);
  }
  try {
    const server = await serve(dir, port);
    console.log(`serving ${dir} at http://127.0.0.1:${server.address().port}/ (Ctrl-C stops)`);
  } catch (error) {
    console.error(`error: cannot serve ${dir}: ${error.message}`);
    process.exit(1);
  }
} else {
  try {
    process.exitCode = await run(args);
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
