import { ConfigError, loadConfig } from "@tessera/config";
import { createDatabase } from "@tessera/db";
import { createServices } from "../services/index.ts";
import { DEMO_BUYER, DEMO_SELLER } from "./seed/catalog.ts";
import { seed } from "./seed/run.ts";

// `npm run seed`: demo data in the configured database (pending migrations applied first); safe to run again.
// Exit codes: 0 seeded (or already there), 1 failure, 2 bad configuration.

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await createDatabase({ url: config.databaseUrl, poolMax: 2 });
  const quiet = { info() {}, warn() {}, error: (details: object, message: string) => console.error(message, details) };
  const services = createServices(config, db, { logger: quiet });
  try {
    const report = await seed(services);
    console.log(`Seeded ${config.databaseUrl.replace(/\/\/[^@/]*@/, "//")}: ${report.productsCreated} of ${report.products} demo products ` +
      `created now (the others were there), ${report.imagesCreated} pictures generated.`);
    console.log(`  seller: ${DEMO_SELLER.username} / ${DEMO_SELLER.password}  (store "${DEMO_SELLER.store_name}", user_id ${report.sellerId})`);
    console.log(`  buyer:  ${DEMO_BUYER.username} / ${DEMO_BUYER.password}  (user_id ${report.buyerId})`);
    console.log("  test cards: pm_card_visa, pm_card_mastercard (paid); pm_card_chargeDeclined, pm_card_insufficientFunds, pm_card_expired (declined)");
  } finally {
    await services.close();
    await db.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(`seed failed: ${(error as Error).message}`);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
