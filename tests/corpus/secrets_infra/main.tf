terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region     = "ap-southeast-1"
  access_key = "AKIACYBP3GSTUH3XENMZ"
  secret_key = "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"
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "C1P9VbW4ky7RhZyJakng"
}

variable "db_password_length" {
  default = "24"
}

resource "aws_db_instance" "orders" {
  engine   = "postgres"
  username = "orders"
  password = var.db_password
}

provider "digitalocean" {
  token = var.do_token
}

provider "cloudflare" {
  api_token = "cfat_6BnhcYnskDbJKaRKR1DPgODXbuuLuajG6G4GhFiR113ec744"
}

provider "hcloud" {
  token = "iMbE0ZSWtw6Km0YRUGKOYP1llgvv5UFo5RunFYwqXFo1PdQ83Zkpw0yrdzYYZW93"
}
