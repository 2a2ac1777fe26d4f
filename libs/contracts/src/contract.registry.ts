import { CIC_CONTRACT } from './cicflowmeter.contract';
import { ContractError } from './contract.errors';
import { type Contract, type ContractId } from './contract.types';
import { NSL_KDD_CONTRACT } from './nsl-kdd.contract';

export const contracts: readonly Contract[] = [NSL_KDD_CONTRACT, CIC_CONTRACT];

export function isContractId(value: string): value is ContractId {
  return contracts.some((c) => c.id === value);
}

export function getContract(id: ContractId | string): Contract {
  const found = contracts.find((c) => c.id === id);
  if (found === undefined) {
    throw new ContractError({
      code: 'CONTRACTS.UNKNOWN_CONTRACT',
      message: `Unknown contract "${id}"; known: ${contracts.map((c) => c.id).join(', ')}`,
      details: { contract: id },
    });
  }
  return found;
}

/** Index of a feature in the contract's canonical order, or -1. */
export function featureIndex(contract: Contract, name: string): number {
  return contract.features.findIndex((f) => f.name === name);
}
