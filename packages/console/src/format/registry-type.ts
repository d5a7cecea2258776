import type { RegistryType } from '../api/image-types.ts';

export const registryTypeLabels: Readonly<Record<RegistryType, string>> = {
  harbor: 'Harbor',
  jfrog: 'JFrog Artifactory',
  registry: 'OCI registry',
  dockerhub: 'Docker Hub',
};
