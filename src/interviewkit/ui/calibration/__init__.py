"""The calibration section: leniency, agreement, distributions, drift, question analytics and exercises."""
