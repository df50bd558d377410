import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "@tessera/config";
import { createDatabase } from "@tessera/db";
import { createPasswordHasher } from "../services/passwords.ts";
import { createSuperuser, SuperuserError } from "./superuser.ts";

// `npm run createsuperuser -- --username U --email E [--full-name N]`: creates an active admin in the configured
// database (applying pending migrations first). The password comes from TESSERA_SUPERUSER_PASSWORD (scripts)
// or from a prompt that does not echo. Exit codes: 0 created, 1 conflict or failure, 2 bad usage or input.

const USAGE = "Usage: npm run createsuperuser -- --username <name> --email <email> [--full-name <name>]";

/** Reads a line without echoing it: readline writes its echo to a stream that discards everything. */
async function promptHidden(question: string): Promise<string> {
  const silent = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  // Without a listener, Ctrl-C would only pause the input and leave the prompt waiting forever.
  rl.on("SIGINT", () => {
    process.stderr.write("\n");
    process.exit(130);
  });
  process.stderr.write(question);
  try {
    return await rl.question("");
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

async function readPassword(): Promise<string> {
  // Read here, not through @tessera/config: it is an input of this one command, not server configuration.
  const fromEnv = process.env.TESSERA_SUPERUSER_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new SuperuserError("No password: set TESSERA_SUPERUSER_PASSWORD, or run in a terminal to be prompted.", 2);
  }
  const password = await promptHidden("Password: ");
  if ((await promptHidden("Password (again): ")) !== password) throw new SuperuserError("The passwords do not match.", 2);
  return password;
}

function readArgs() {
  try {
    const { values } = parseArgs({
      options: { username: { type: "string" }, email: { type: "string" }, "full-name": { type: "string" }, help: { type: "boolean" } },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (values.username === undefined || values.email === undefined) throw new Error("--username and --email are required.");
    return { username: values.username, email: values.email, fullName: values["full-name"] };
  } catch (error) {
    throw new SuperuserError(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

async function main(): Promise<number> {
  const args = readArgs();
  const password = await readPassword();
  const config = loadConfig();
  const db = await createDatabase({ url: config.databaseUrl, poolMax: 1 });
  try {
    const user = await createSuperuser(db, createPasswordHasher(config.bcryptCost), { ...args, password });
    console.log(`Superuser "${user.username}" created (user_id ${user.id}).`);
    return 0;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof SuperuserError) {
    console.error(error.message);
    process.exitCode = error.exitCode;
  } else if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    console.error(`createsuperuser failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
