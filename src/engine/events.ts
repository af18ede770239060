import type { EngineEvent, EventInput, EventListener } from "./types.js";

/** Stamps events with a sequence number and time, and fans them out to listeners. */
export class EventStream {
  private seq = 0;
  private readonly listeners: EventListener[] = [];

  constructor(listener?: EventListener) {
    if (listener) this.listeners.push(listener);
  }

  on(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(input: EventInput): EngineEvent {
    const event = { ...input, seq: ++this.seq, time: Date.now() } as EngineEvent;
    for (const listener of this.listeners) listener(event);
    return event;
  }
}
