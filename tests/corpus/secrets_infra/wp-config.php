<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_acme' );
define( 'DB_PASSWORD', 'BHxsMC309wBcsqZo' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         'put your unique phrase here' );
define( 'SECURE_AUTH_KEY',  'vEbHblrkQ0qFsP99X0HCapbgkbqjXa#iFNV3oxIdSQHCcOl1KKT' );
$table_prefix = 'wp_';
$smtp_password = getenv('SMTP_PASSWORD');
