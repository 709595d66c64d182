from django.contrib.auth import views as auth_views
from django.urls import path

from cornerstone.accounts import views

app_name = "accounts"

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/badge/", views.notification_badge, name="notification-badge"),
    path("notifications/read/", views.notification_read, name="notification-read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
]

# Login and logout keep Django's own names so that settings.LOGIN_URL works unchanged.
auth_urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
