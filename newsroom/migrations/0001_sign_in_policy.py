from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='SignInPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('two_factor_required', models.BooleanField(default=False, help_text='Everyone who signs in to the admin must use a code from an authenticator app. Anyone who has not set one up is sent to do so before any other admin page.', verbose_name='require two-factor sign-in')),
            ],
            options={
                'verbose_name': 'sign-in policy',
                'verbose_name_plural': 'sign-in policy',
            },
        ),
    ]
