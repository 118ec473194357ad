/** Why dist/ under root must be built, or undefined when it is newer than app/ and every tsconfig*.json. */
export function staleReason(root: string): string | undefined;
