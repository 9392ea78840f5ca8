// Prints the Terraform files of one directory (not its subdirectories) as one JSON object: file name -> HCL as JSON.
"use strict";
const fs = require("fs");
const path = require("path");
const { parse } = require("@cdktf/hcl2json");

async function main(dir) {
  const out = {};
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".tf")).sort()) {
    out[name] = await parse(name, fs.readFileSync(path.join(dir, name), "utf8"));
  }
  process.stdout.write(JSON.stringify(out));
}

main(process.argv[2]).catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
