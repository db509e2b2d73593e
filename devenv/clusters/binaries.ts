import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const buildScript = fileURLToPath(new URL('../k8s/build.sh', import.meta.url));

export interface ClusterBinaries {
  /** kube-apiserver, kube-controller-manager, kube-scheduler, kubectl */
  k8sBin: string;
  etcdBin: string;
  kwokBin: string;
  /** kwok's default node and pod stages (YAML files) for the same version. */
  kwokStages: string;
}

let cached: Promise<ClusterBinaries> | undefined;

/**
 * Builds (first run) or finds (later runs) the member-cluster binaries in the version-keyed cache outside the repo.
 * The build script holds a file lock, so concurrent callers wait for one build instead of racing.
 */
export function ensureBinaries(): Promise<ClusterBinaries> {
  cached ??= run('bash', [buildScript], { maxBuffer: 16 * 1024 * 1024, timeout: 60 * 60_000 }).then(({ stdout }) => {
    const dirs = Object.fromEntries(stdout.trim().split('\n').map((line) => line.split('=', 2) as [string, string]));
    const { K8S_BIN, ETCD_BIN, KWOK_BIN, KWOK_STAGES } = dirs;
    if (!K8S_BIN || !ETCD_BIN || !KWOK_BIN || !KWOK_STAGES) throw new Error(`build.sh printed no binary directories: ${stdout}`);
    return { k8sBin: K8S_BIN, etcdBin: ETCD_BIN, kwokBin: KWOK_BIN, kwokStages: KWOK_STAGES };
  });
  return cached;
}
