/**
 * Networks that are allowlisted wherever the engine runs: loopback can never be an attacker
 * worth banning, and banning it breaks the host itself. Self-healing adds the node's own
 * addresses, the cluster CIDRs, the gateway's clients and configured entries on top.
 */
export const LOOPBACK_NETWORKS: readonly string[] = ['127.0.0.0/8', '::1'];
