"""Tests of the standards checker (`check`) and the mode recommender (`suggest`)."""
