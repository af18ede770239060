import { ArmError } from "./errors.js";

/** ARM's tag rules: at most 50, names up to 512 chars without <>%&\?/, values up to 256 chars. */
export function checkTags(tags: unknown): void {
  if (tags === undefined || tags === null) return;
  if (typeof tags !== "object" || Array.isArray(tags)) {
    throw new ArmError(
      400,
      "InvalidRequestContent",
      "The request content was invalid and could not be deserialized: 'tags must be an object'.",
    );
  }
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > 50) {
    throw new ArmError(
      400,
      "InvalidTagCount",
      `The number of tags (${entries.length}) exceeds the maximum of 50 per resource.`,
    );
  }
  for (const [name, value] of entries) {
    if (/[<>%&\\?/]/.test(name)) {
      throw new ArmError(
        400,
        "InvalidTagNameCharacters",
        `The tag names '${name}' have reserved characters '<,>,%,&,\\,?,/' or control characters.`,
      );
    }
    if (name.length > 512)
      throw new ArmError(
        400,
        "InvalidTagNameLength",
        `The tag name '${name.slice(0, 40)}...' exceeds the maximum length of 512 characters.`,
      );
    if (typeof value !== "string") {
      throw new ArmError(
        400,
        "InvalidRequestContent",
        `The request content was invalid and could not be deserialized: 'tag '${name}' must have a string value'.`,
      );
    }
    if (value.length > 256)
      throw new ArmError(
        400,
        "InvalidTagValueLength",
        `The value of tag '${name}' exceeds the maximum length of 256 characters.`,
      );
  }
}
