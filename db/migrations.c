#include "migrations.h"

int schema_binary_version(void)
{
	return schema_migrations[schema_migration_count - 1].version;
}
