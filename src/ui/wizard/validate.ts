import type { z } from "zod";

/**
 * Turns a zod schema of the answers file into an inquirer `validate`: the prompt accepts
 * exactly what the file would, with the same message.
 */
export function validateWith<T>(schema: z.ZodType<T>, convert: (raw: string) => unknown = (raw) => raw) {
  return (raw: string): true | string => {
    const result = schema.safeParse(convert(raw));
    if (result.success) return true;
    return result.error.issues.map((i) => i.message).join("; ");
  };
}
