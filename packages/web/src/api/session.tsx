import { createContext, useContext } from 'react';
import type { ProjectApi } from './client';
import type { Me } from './types';

/** Who is signed in and which project every request is for. */
export interface Scope {
  me: Me;
  projectId: string;
  api: ProjectApi;
}

export const ScopeContext = createContext<Scope | null>(null);

export function useScope(): Scope {
  const scope = useContext(ScopeContext);
  if (!scope) throw new Error('useScope must be used inside a signed-in page');
  return scope;
}
