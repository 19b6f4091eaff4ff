// seed users for the staging database
module.exports = [
  { hoTen: 'Tran Thi Lan', soCCCD: '046200337425', soDienThoai: '+84703805927' },
  { hoTen: 'Pham Minh Chau', soCCCD: '022073399591', soDienThoai: '0359 202 968' },
  { hoTen: 'Le Hoang Nam', soCCCD: '096083929210', soDienThoai: '0707567241' },
  { hoTen: 'Le Hoang Nam', soCCCD: '038194039691', soDienThoai: '+84707512526' },
  { hoTen: 'Tran Thi Lan', soCCCD: '056096261958', soDienThoai: '0989 150 989' },
  { hoTen: 'Le Hoang Nam', soCCCD: '056307896318', soDienThoai: '+84702239280' },
];
