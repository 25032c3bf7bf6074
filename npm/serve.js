// `scour serve` for the npm package: WebAssembly has no sockets to listen on, so Node
// serves the folder: 127.0.0.1 only, the types a bundle needs (wasm, modules), gzip
// for clients that accept it.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves `dir` on http://127.0.0.1:`port` until the process ends.
 *
 * @param {string} dir
 * @param {number} port
 * @returns {Promise<http.Server>}
 */
export function serve(dir, port) {
  const root = fs.realpathSync(dir);
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    let file = path.join(root, path.normalize(rel));
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    fs.stat(file, (err, stat) => {
      if (!err && stat.isDirectory()) {
        if (!rel.endsWith("/")) {
          // relative, so it never points at another host
          res.writeHead(301, { location: `./${path.basename(file)}/` }).end();
          return;
        }
        file = path.join(file, "index.html");
      }
      fs.readFile(file, (err, body) => {
        if (err) {
          res.writeHead(404, { "content-type": "text/plain" }).end("not found");
          return;
        }
        const type = TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
        const headers = { "content-type": type, "cache-control": "no-cache", vary: "accept-encoding" };
        if (/\bgzip\b/.test(req.headers["accept-encoding"] ?? "") && !type.startsWith("image/png")) {
          headers["content-encoding"] = "gzip";
          body = zlib.gzipSync(body);
        }
        res.writeHead(200, headers).end(body);
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
