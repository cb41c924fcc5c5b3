/** Resolves `done` once `tick` has counted `total`. */
export function countdown(total: number): { tick(count?: number): void; done: Promise<void> } {
  let left = total;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  if (total <= 0) finish();
  return {
    tick(count = 1) {
      left -= count;
      if (left <= 0) finish();
    },
    done,
  };
}
