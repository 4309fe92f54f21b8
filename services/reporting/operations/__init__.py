"""What the operators' view reads besides the read models: each service's own bookkeeping
(its database, its /ready) and JetStream's state, and the operators' own actions."""
