// PostgreSQL's client library as Debian's libpq-dev installs it (/usr/include/postgresql).
#include <postgresql/libpq-fe.h>
