import { stringify } from "yaml";

/**
 * Generated YAML is built as data and printed here, so the structure is what tests check and
 * quoting is never hand-written. No line folding: long commands stay on one line. No anchors
 * for repeated objects: Azure Pipelines rejects YAML anchors and aliases.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, indent: 2, indentSeq: true, aliasDuplicateObjects: false });
}
