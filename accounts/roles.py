"""The newsroom's roles. Each is a Django Group, created with its permissions by the data
migration `accounts/0002_roles`; code checks permissions, never group names."""

REPORTER = "Reporter"
EDITOR = "Editor"
FACT_CHECKER = "Fact-checker"
STANDARDS_EDITOR = "Standards editor"
