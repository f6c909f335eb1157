import { buildApp } from '../app.ts';
import { importBundledIfEmpty, seedLegalRegisterIfEmpty } from '../bundled.ts';
import { loadConfig } from '../config.ts';
import { migrateToLatest, openDatabase } from '../db/database.ts';

/** Entry point: `npm start`. Migrates, imports the bundled lists on first start, serves. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  const app = await buildApp({ config, database });
  if (config.autoImport) {
    const report = await importBundledIfEmpty(database);
    if (report) {
      app.log.info(
        { found: report.found, repairs: report.repairs.length },
        '首次启动：已导入内置的衡水市商务局职责清单',
      );
    }
    const seeded = await seedLegalRegisterIfEmpty(database);
    if (seeded) app.log.info({ instruments: seeded }, '首次启动：已写入法律法规库的时效信息');
  }
  const close = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  await app.listen({ host: config.host, port: config.port });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
