// Public API of @qtp/risk.
export {};
