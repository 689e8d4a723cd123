export { ApiContract, apiContract, checkAnswer, checkedFetch, ContractError } from './contract.js';
export { type ServerProcess, type SignedUpUser, signupUser, startServerProcess } from './server-process.js';
export { createTestApp, type TestApp, useTestApp } from './test-app.js';
export { findPgBin, freePort, type PgCluster, startPgCluster } from './pg-cluster.js';
export { json, newTenant, type TestTenant, track } from './accounts.js';
export type { StoredEvent } from './stored-event.js';
export { requireTool, type Tool } from './require-tool.js';
export { pointGatewayAt } from './gateway-upstreams.js';
