"""tenantkit's own HTTP resources: each module declares `ROUTES`, served by one Lambda."""
