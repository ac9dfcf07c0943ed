import type { DatabaseConnection, Dialect, Driver } from 'kysely';
import { StorageUnavailableError, toStorageError } from './errors.ts';

/**
 * Wraps a dialect so that "database not reachable" failures surface as the typed, retryable
 * `StorageUnavailableError` wherever a query runs — repositories need no try/catch of their own.
 */
export function withUnavailableErrors(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => wrapDriver(dialect.createDriver()),
  };
}

function wrapDriver(driver: Driver): Driver {
  const patched = new WeakSet<DatabaseConnection>();
  const patch = (connection: DatabaseConnection): DatabaseConnection => {
    if (patched.has(connection)) return connection;
    patched.add(connection);
    // patched in place: drivers keep private state on the connection object itself
    const execute = connection.executeQuery.bind(connection);
    connection.executeQuery = async (query, options) => {
      try {
        return await execute(query, options);
      } catch (error) {
        throw toStorageError(error);
      }
    };
    return connection;
  };
  const rethrow = (error: unknown): never => {
    const mapped = toStorageError(error);
    throw mapped;
  };
  return {
    init: (options) => driver.init(options).catch(rethrow),
    acquireConnection: async (options) => {
      try {
        return patch(await driver.acquireConnection(options));
      } catch (error) {
        const mapped = toStorageError(error);
        if (mapped instanceof StorageUnavailableError) throw mapped;
        throw new StorageUnavailableError(
          `database connection failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    },
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings).catch(rethrow),
    commitTransaction: (connection) => driver.commitTransaction(connection).catch(rethrow),
    rollbackTransaction: (connection) => driver.rollbackTransaction(connection).catch(rethrow),
    ...(driver.savepoint ? { savepoint: driver.savepoint.bind(driver) } : {}),
    ...(driver.rollbackToSavepoint ? { rollbackToSavepoint: driver.rollbackToSavepoint.bind(driver) } : {}),
    ...(driver.releaseSavepoint ? { releaseSavepoint: driver.releaseSavepoint.bind(driver) } : {}),
    releaseConnection: (connection, options) => driver.releaseConnection(connection, options),
    destroy: (options) => driver.destroy(options),
  };
}
