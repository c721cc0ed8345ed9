/** A time source tests can move, given to services as their `clock` option. */
export class TestClock {
  constructor(private at = new Date('2030-01-01T00:00:00.000Z')) {}
  readonly now = (): Date => new Date(this.at);
  advance(seconds: number): void {
    this.at = new Date(this.at.getTime() + seconds * 1000);
  }
}
