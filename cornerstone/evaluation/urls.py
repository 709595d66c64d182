"""Pages of the horse-race evaluation: schemes, rounds, score sheets, the leaderboard."""

app_name = "evaluation"

urlpatterns: list = []
