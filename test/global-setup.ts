/**
 * Runs once per `npm test`. Later steps (building the native library, the single binary for end-to-end
 * tests) hook in here so each is done once per run, not once per file.
 */
export default async function setup(): Promise<void> {}
