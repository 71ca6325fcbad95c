"""Users, roles, tokens, the audit trail and redaction: what stands between a caller and
personal data. Users and the audit trail live in one SQLite file under SERIALWATCH_HOME."""
