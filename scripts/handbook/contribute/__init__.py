"""What contributors use: the scaffold of a new practice, the issue form and the practice it becomes."""
