// `npm run clusters -- up NAME... | down [NAME...] | list`: real member clusters (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler built from the Go module proxy, kwok simulating nodes) on loopback.
import { clustersDown, clustersList, clustersUp } from './clusters/kwok.ts';
import { errorMessage } from '../lib/core/errors/error-message.ts';

const usage = 'usage: npm run clusters -- up NAME... | down [NAME...] | list';

async function main(argv: string[]): Promise<number> {
  const [command, ...names] = argv;
  switch (command) {
    case 'up': {
      if (names.length === 0) {
        console.error(`clusters up: name at least one cluster\n${usage}`);
        return 2;
      }
      for (const r of await clustersUp(names, (line) => console.error(line))) {
        console.log(`${r.name}\t${r.started ? 'started' : 'already running'}\t${r.kubeconfig}`);
      }
      return 0;
    }
    case 'down': {
      const stopped = await clustersDown(names);
      console.log(stopped.length ? `stopped ${stopped.join(', ')}` : 'no clusters');
      return 0;
    }
    case 'list': {
      const rows = await clustersList();
      if (rows.length === 0) {
        console.log('No cluster found.');
        return 0;
      }
      const table = [['NAME', 'STATUS', 'ENDPOINT', 'PROCESSES', 'RSS', 'KUBECONFIG']];
      for (const r of rows) {
        const status = r.status === 'broken' ? `broken (dead: ${r.dead.join(', ')})` : r.status;
        table.push([r.name, status, r.endpoint, String(r.processes), `${r.rssMiB}Mi`, r.kubeconfig]);
      }
      const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
      for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
      return 0;
    }
    default:
      console.error(command ? `clusters: unknown command ${command}\n${usage}` : usage);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`clusters: ${errorMessage(err)}`);
    process.exit(1);
  },
);
