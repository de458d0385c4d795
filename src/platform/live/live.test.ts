import { describe, expect, it } from "vitest";
import { createMemoryLiveBus, liveChannel } from "./live.server.ts";

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("in-memory live bus", () => {
  it("delivers a copy of each notice to the channel's subscribers only, until they unsubscribe", async () => {
    const bus = createMemoryLiveBus();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = bus.subscribe("meeting_one", (p) => a.push(p));
    bus.subscribe("meeting_two", (p) => b.push(p));
    const payload = { groupId: "g", version: 1 };
    await bus.publish("meeting_one", payload);
    payload.version = 99;
    await tick();
    expect(a).toEqual([{ groupId: "g", version: 1 }]);
    expect(b).toEqual([]);
    offA();
    offA();
    await bus.publish("meeting_one", { version: 2 });
    await tick();
    expect(a).toHaveLength(1);
  });

  it("keeps delivering to others when one listener throws, and calls onClose on close", async () => {
    const bus = createMemoryLiveBus();
    const got: unknown[] = [];
    let closed = 0;
    bus.subscribe("c", () => {
      throw new Error("boom");
    });
    bus.subscribe("c", (p) => got.push(p), () => (closed += 1));
    const off = bus.subscribe("c", () => {}, () => (closed += 10));
    off();
    await bus.publish("c", 1);
    await tick();
    expect(got).toEqual([1]);
    await bus.close();
    expect(closed).toBe(1);
  });

  it("refuses channel names PostgreSQL would not accept, and makes safe ones", async () => {
    const bus = createMemoryLiveBus();
    expect(() => bus.subscribe("Bad-Name", () => {})).toThrow(/invalid live channel/);
    await expect(bus.publish("x; drop table", 1)).rejects.toThrow(/invalid live channel/);
    expect(liveChannel("meeting", "0b5c9f8e-3d7e-4a39-9f1c-2f7d8b6e1a11")).toBe("meeting_0b5c9f8e_3d7e_4a39_9f1c_2f7d8b6e1a11");
    expect(liveChannel("m", "x".repeat(100))).toHaveLength(63);
  });
});
