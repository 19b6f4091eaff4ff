-- seed data for the supplier directory
INSERT INTO suppliers (company_name, ssm_no, lhdn_tin, contact_phone) VALUES
  ('Syarikat Maju 0 Sdn Bhd', '202001740949', 'D1524774083', '07-807 3216'),
  ('Syarikat Maju 1 Sdn Bhd', '201903691066', 'C7218415634', '082-362 335'),
  ('Syarikat Maju 2 Sdn Bhd', '202303145200', 'IG0359346720', '082-779 457'),
  ('Syarikat Maju 3 Sdn Bhd', '202501685936', 'IG2256460699', '03-8334 8584'),
  ('Syarikat Maju 4 Sdn Bhd', '202203912344', 'IG0650751982', '082-298 818'),
  ('Syarikat Maju 5 Sdn Bhd', '202306025752', 'C7945555585', '088-653 720'),
  ('Syarikat Maju 6 Sdn Bhd', '202301271465', 'IG7253612773', '088-854 475'),
  ('Syarikat Maju 7 Sdn Bhd', '202106301723', 'C7808181210', '03-8066 5665');

INSERT INTO suppliers_legacy (company_name, registration_no) VALUES
  ('Kedai Runcit 0 Enterprise', '1100696-M'),
  ('Kedai Runcit 1 Enterprise', '938132-M'),
  ('Kedai Runcit 2 Enterprise', '441638-T'),
  ('Kedai Runcit 3 Enterprise', '1068782-H');
