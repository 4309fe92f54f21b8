"""The month report ("Månadsuppföljning"): budget to date against actuals and forecast."""
