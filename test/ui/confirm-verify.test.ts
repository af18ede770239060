import { PassThrough } from "node:stream";
import { screen } from "@inquirer/testing/vitest";
import { describe, expect, it } from "vitest";
import { confirmVerify } from "../../src/ui/wizard/confirm.js";
import { until } from "../helpers/prompt-screen.js";

describe("the merge question verify asks on Azure", () => {
  it("names the repository and the branch it merges into; no = nothing happens", async () => {
    const ok = confirmVerify(
      { repository: "shop", branch: "main" },
      { input: screen.input, output: new PassThrough() },
    );
    const shown = await until(/Go ahead\?/);
    expect(shown).toContain("opens a pull request on shop, merges it into main once its checks pass");
    screen.type("n");
    screen.keypress("enter");
    await expect(ok).resolves.toBe(false);
  });

  it("after apply, the wizard's last question: Run verify now? (default yes)", async () => {
    const ok = confirmVerify(
      { repository: "shop", branch: "main", afterApply: true },
      { input: screen.input, output: new PassThrough() },
    );
    await until(/Run verify now\? It opens a pull request on shop.*\(Y\/n\)/s);
    screen.keypress("enter");
    await expect(ok).resolves.toBe(true);
  });
});
