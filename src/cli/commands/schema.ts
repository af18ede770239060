import { answersJsonSchema } from "../../answers/json-schema.js";
import type { CliArgs } from "../args.js";
import type { CliIo } from "../main.js";

export async function schemaCommand(_args: CliArgs, io: CliIo): Promise<number> {
  io.stdout.write(`${JSON.stringify(answersJsonSchema(), null, 2)}\n`);
  return 0;
}
