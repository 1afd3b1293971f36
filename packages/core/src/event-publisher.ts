/**
 * The one method a component needs to announce something on the event bus. `EventBus`
 * satisfies it; components that only publish depend on this narrow contract instead.
 */
export interface EventPublisher<Events extends object = Record<string, unknown>> {
  /** Publishes `payload` on `topic` to every matching subscriber. */
  publish<K extends keyof Events & string>(topic: K, payload: Events[K]): void;
}
