"""What a loan costs: repayment schedules, the city's interest share and the guarantee fee, in
exact arithmetic (../shared/COSTS.md). Pure functions of numbers: no catalogue, no Qt."""
